namespace HvsGrains.Runtime.Activation;

/// <summary>A tick of a grain timer, run as a turn so it never overlaps a call.</summary>
internal sealed class TimerTurn(GrainTimer timer) : Turn
{
    public override string Name => "timer";

    public override async ValueTask RunAsync(ActivationData activation, Grain grain)
    {
        try
        {
            await timer.TickAsync();
        }
        finally
        {
            timer.TickFinished();
        }
    }

    public override void Fail(Exception exception) => timer.TickFinished();
}
