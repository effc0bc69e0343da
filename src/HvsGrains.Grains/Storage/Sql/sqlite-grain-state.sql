-- HvsGrains grain state schema for SQLite, version 1.
-- Written for this project against the contract of Orleans' ADO.NET grain storage:
-- the provider reads its statements from OrleansQuery by key, binds the parameters
-- named below, and reads the result columns PayloadBinary, Version, NewGrainStateVersion.
-- Every statement is idempotent so the file can run on each start.
-- Each statement ends with a doubled semicolon because the stored query texts contain single ones.

CREATE TABLE IF NOT EXISTS HvsSchemaVersion
(
    Component TEXT NOT NULL PRIMARY KEY,
    Version   INTEGER NOT NULL,
    AppliedOn TEXT NOT NULL
);;

-- The provider looks its queries up here; the table name and columns are fixed by it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);;

-- One row per grain state. The provider passes the state name as GrainTypeString and the
-- parsed key as N0/N1/extension; neither names the grain type, so the two hashes (which
-- GrainIdentityHashPicker computes over the full grain id) are part of the key.
-- KeyExtension is '' when the grain has none: NULLs would not collide in a primary key.
CREATE TABLE IF NOT EXISTS HvsGrainState
(
    ServiceId    TEXT NOT NULL,
    StateName    TEXT NOT NULL,
    IdHash       INTEGER NOT NULL,
    StateHash    INTEGER NOT NULL,
    IdN0         INTEGER NOT NULL,
    IdN1         INTEGER NOT NULL,
    KeyExtension TEXT NOT NULL,
    Payload      BLOB NULL,
    Version      INTEGER NOT NULL,
    ModifiedOn   TEXT NOT NULL,
    PRIMARY KEY (ServiceId, IdHash, StateHash, StateName, IdN0, IdN1, KeyExtension)
) WITHOUT ROWID;;

-- Read: no row means "no state"; a NULL payload is a cleared state that keeps its version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT Payload AS PayloadBinary, Version
FROM HvsGrainState
WHERE ServiceId = @ServiceId AND IdHash = @GrainIdHash AND StateHash = @GrainTypeHash
  AND StateName = @GrainTypeString AND IdN0 = @GrainIdN0 AND IdN1 = @GrainIdN1
  AND KeyExtension = COALESCE(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;;

-- Write: bump the row only if the caller holds its current version; insert only if the
-- caller saw no row. Exactly one statement can return a row; none means an etag conflict
-- (the provider then throws InconsistentStateException).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
UPDATE HvsGrainState
SET Payload = @PayloadBinary, Version = Version + 1, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE ServiceId = @ServiceId AND IdHash = @GrainIdHash AND StateHash = @GrainTypeHash
  AND StateName = @GrainTypeString AND IdN0 = @GrainIdN0 AND IdN1 = @GrainIdN1
  AND KeyExtension = COALESCE(@GrainIdExtensionString, '''')
  AND @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
INSERT INTO HvsGrainState (ServiceId, StateName, IdHash, StateHash, IdN0, IdN1, KeyExtension, Payload, Version, ModifiedOn)
SELECT @ServiceId, @GrainTypeString, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
       @PayloadBinary, 1, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;;

-- Clear: keep the row with a NULL payload and a new version, so a stale writer still conflicts.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE HvsGrainState
SET Payload = NULL, Version = Version + 1, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE ServiceId = @ServiceId AND IdHash = @GrainIdHash AND StateHash = @GrainTypeHash
  AND StateName = @GrainTypeString AND IdN0 = @GrainIdN0 AND IdN1 = @GrainIdN1
  AND KeyExtension = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;;

-- Delete (only with DeleteStateOnClear): the provider wants a value that differs from the
-- caller's version on success, so return the deleted version + 1.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
DELETE FROM HvsGrainState
WHERE ServiceId = @ServiceId AND IdHash = @GrainIdHash AND StateHash = @GrainTypeHash
  AND StateName = @GrainTypeString AND IdN0 = @GrainIdN0 AND IdN1 = @GrainIdN1
  AND KeyExtension = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;;
