-- The readings log shared by every silo (ReadingLog/PostgreSqlReadingLog): every accepted reading, appended by group
-- commit before the front door acknowledges it, read back by module grains that rebuild their windows on any silo.
-- Timestamps are kept as .NET ticks (100 ns since 0001-01-01, UTC) plus the sender's offset, so a reading comes back
-- exactly as it was received and "the same instant" means the same thing as in the embedded SQLite log. For a person:
-- to_timestamp((ts_ticks - 621355968000000000) / 1e7).
CREATE TABLE hvs_readings (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    module_id      text NOT NULL,
    rack_id        text NOT NULL,
    ts_ticks       bigint NOT NULL,
    ts_offset_min  smallint NOT NULL,
    voltage_v      double precision,
    current_a      double precision,
    soc_percent    double precision,
    avg_surface_c  double precision,
    max_surface_c  double precision,
    ambient_c      double precision,
    co_ppm         double precision,
    h2_ppm         double precision,
    voc_ppm        double precision,
    -- One reading per module and instant, whichever silo received it; history and replay read by it.
    CONSTRAINT hvs_readings_module_time UNIQUE (module_id, ts_ticks)
);

-- A module's readings in log order (IReadingLog.ReadModuleAfterAsync).
CREATE INDEX hvs_readings_module_seq ON hvs_readings (module_id, seq);

COMMENT ON TABLE hvs_readings IS 'HvsGrains readings log: every acknowledged reading, once per module and instant.';
