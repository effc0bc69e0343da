namespace HvsGrains.Cli;

/// <summary>What the `hvs` tool's exit code means (documented in the tool's README, relied on by scripts).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something unexpected failed; the message says what.</summary>
    public const int Failed = 1;

    /// <summary>The command line or its input is invalid (unknown option, bad gateway address, unreadable file).</summary>
    public const int InvalidInput = 2;

    /// <summary>No cluster answers: no gateway, front door or database could be reached in time.</summary>
    public const int Unreachable = 3;

    /// <summary>The rack, module or alarm named does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>The cluster refused: a model that fails validation, nothing to roll back, a cleared alarm, rejected readings.</summary>
    public const int Refused = 5;
}
