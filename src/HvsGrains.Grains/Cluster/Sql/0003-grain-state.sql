-- Version 3: grain state, written for this project against the contract of Orleans' ADO.NET grain storage
-- (Microsoft.Orleans.Persistence.AdoNet): it reads ReadFromStorageKey, WriteToStorageKey, ClearStorageKey and
-- DeleteStorageKey from OrleansQuery, binds the parameters named @Name below and reads the result columns
-- PayloadBinary, Version and NewGrainStateVersion. The same table shape as the embedded SQLite file
-- (Storage/Sql/sqlite-grain-state.sql): the provider's state name and parsed key do not name the grain type, so
-- the two hashes, which GrainIdentityHashPicker computes over the full grain id, are part of the key.
-- key_extension is '' when the grain has none: NULLs would not collide in a primary key.

CREATE TABLE hvs_grain_state
(
    service_id    text NOT NULL,
    state_name    text NOT NULL,
    id_hash       integer NOT NULL,
    state_hash    integer NOT NULL,
    id_n0         bigint NOT NULL,
    id_n1         bigint NOT NULL,
    key_extension text NOT NULL,
    payload       bytea NULL,
    version       integer NOT NULL,
    modified_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, id_hash, state_hash, state_name, id_n0, id_n1, key_extension)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- No row means "no state"; a NULL payload is a cleared state that keeps its version.
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM hvs_grain_state
WHERE service_id = @ServiceId AND id_hash = @GrainIdHash AND state_hash = @GrainTypeHash AND state_name = @GrainTypeString
  AND id_n0 = @GrainIdN0 AND id_n1 = @GrainIdN1 AND key_extension = COALESCE(@GrainIdExtensionString, '');
$sql$),

-- Bump the row only if the caller holds its version; insert only if the caller saw no row. No row back means an
-- etag conflict, which the provider turns into InconsistentStateException (an activation elsewhere wrote first).
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE hvs_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND id_hash = @GrainIdHash AND state_hash = @GrainTypeHash AND state_name = @GrainTypeString
      AND id_n0 = @GrainIdN0 AND id_n1 = @GrainIdN1 AND key_extension = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion::integer
    RETURNING version),
inserted AS (
    INSERT INTO hvs_grain_state (service_id, state_name, id_hash, state_hash, id_n0, id_n1, key_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           @PayloadBinary, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$),

-- Clear keeps the row with a NULL payload and a new version, so a stale writer still conflicts; clearing a state
-- never written leaves such a row too.
('ClearStorageKey', $sql$
WITH updated AS (
    UPDATE hvs_grain_state
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND id_hash = @GrainIdHash AND state_hash = @GrainTypeHash AND state_name = @GrainTypeString
      AND id_n0 = @GrainIdN0 AND id_n1 = @GrainIdN1 AND key_extension = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion::integer
    RETURNING version),
inserted AS (
    INSERT INTO hvs_grain_state (service_id, state_name, id_hash, state_hash, id_n0, id_n1, key_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           NULL, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$),

-- Delete (only with DeleteStateOnClear): the provider wants a value other than the caller's version on success.
('DeleteStorageKey', $sql$
DELETE FROM hvs_grain_state
WHERE service_id = @ServiceId AND id_hash = @GrainIdHash AND state_hash = @GrainTypeHash AND state_name = @GrainTypeString
  AND id_n0 = @GrainIdN0 AND id_n1 = @GrainIdN1 AND key_extension = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion::integer
RETURNING version + 1 AS "NewGrainStateVersion";
$sql$);
