-- Version 2: Orleans cluster membership, written for this project against the contract of Orleans' ADO.NET
-- clustering provider (Microsoft.Orleans.Clustering.AdoNet). The provider reads its statements from OrleansQuery by
-- key, binds the parameters named @Name below, and reads result columns by the quoted names. Membership follows
-- Orleans' protocol: every change to a silo's row also bumps its cluster's version row, and only if the caller saw
-- that version (an optimistic check the provider relies on); the version row's lock serialises the writers.
-- Queries return rows, not plpgsql functions: one statement each, easy to read and to replace in a later migration.

-- The provider's lookup table: its name and columns are fixed by the provider's unquoted "OrleansQuery" query.
CREATE TABLE orleansquery
(
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- One row per cluster (Orleans' ClusterId, the provider's DeploymentId): the membership table's version.
CREATE TABLE hvs_membership_version
(
    cluster_id text PRIMARY KEY,
    version    integer NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port and generation). status holds Orleans' SiloStatus
-- (3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead); suspect_times is the provider's own "silo,time|…" text.
CREATE TABLE hvs_membership
(
    cluster_id      text NOT NULL REFERENCES hvs_membership_version (cluster_id) ON DELETE CASCADE,
    address         text NOT NULL,
    port            integer NOT NULL,
    generation      integer NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    status          integer NOT NULL,
    proxy_port      integer NOT NULL,
    suspect_times   text NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Run by every silo at start: true only for the silo that created the cluster's version row.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO hvs_membership_version (cluster_id) VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING cluster_id)
SELECT count(*) > 0 AS "Created" FROM created;
$sql$),

-- A silo joins: insert its row if the caller holds the current version and the row is new; bump the version.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE hvs_membership_version
    SET version = version + 1, changed_at = now()
    WHERE cluster_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM hvs_membership
                      WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING cluster_id),
inserted AS (
    INSERT INTO hvs_membership (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT count(*) > 0 AS "Inserted" FROM inserted;
$sql$),

-- A silo's status or suspicions change: only with the current version and an existing row; bump the version.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE hvs_membership_version
    SET version = version + 1, changed_at = now()
    WHERE cluster_id = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM hvs_membership
                  WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING cluster_id),
updated AS (
    UPDATE hvs_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.cluster_id = bumped.cluster_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*) > 0 AS "Updated" FROM updated;
$sql$),

-- The heartbeat: not a membership change, so the version stays.
('UpdateIAmAlivetimeKey', $sql$
UPDATE hvs_membership
SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$sql$),

-- Reads return the version row even when no silo matches (the provider takes the version from the first row and
-- treats a row without StartTime as "no silo").
('MembershipReadRowKey', $sql$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation", m.silo_name AS "SiloName",
       m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM hvs_membership_version v
LEFT JOIN hvs_membership m
       ON m.cluster_id = v.cluster_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.cluster_id = @DeploymentId;
$sql$),

('MembershipReadAllKey', $sql$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation", m.silo_name AS "SiloName",
       m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM hvs_membership_version v
LEFT JOIN hvs_membership m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId;
$sql$),

-- Clients (the hvs tool) find gateways here: silos with the asked status (Active) and a gateway port.
('GatewaysQueryKey', $sql$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM hvs_membership
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$sql$),

-- Removes a whole cluster's membership (its silos go with the version row).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM hvs_membership_version WHERE cluster_id = @DeploymentId;
$sql$),

-- Forgets silos not heard from since @IAmAliveTime, never an Active one (3).
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM hvs_membership
WHERE cluster_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3;
$sql$);
