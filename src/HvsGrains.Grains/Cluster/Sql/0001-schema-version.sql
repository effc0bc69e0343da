-- Version 1: the schema's own bookkeeping. hvs_schema_version (created by PostgreSqlSchema before any migration runs)
-- records each migration applied. Later migrations add the Orleans membership and grain state tables with the stored
-- queries Orleans' ADO.NET providers read (OrleansQuery), and the readings log.
COMMENT ON TABLE hvs_schema_version IS 'HvsGrains cluster schema: one row per migration applied (src/HvsGrains.Grains/Cluster/Sql).';
