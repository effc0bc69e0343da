namespace HvsGrains.Silo.Ingest;

/// <summary>A batch is in the log but its modules did not confirm it: the front door answers 503 and the gateway sends it again.</summary>
public sealed class ReadingsNotAppliedException(Exception inner)
    : Exception("The readings are logged, but not every module confirmed them; send the batch again (what is logged is not taken twice).", inner);
