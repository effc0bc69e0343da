using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HvsGrains.Grains.Features;

/// <summary>
/// One double per sensor channel, kept in registers: channels 0-7 as four 2-lane vectors and channel 8
/// in the upper lane of a fifth (its lower lane repeats channel 7's arithmetic and is never read; a
/// lone scalar made the JIT's float-to-double conversions wait on each other). Every operator does,
/// lane by lane, the IEEE operation the scalar code does (the JIT never fuses a multiply and an add
/// on its own), so a formula written with it gives each channel bit for bit what the same formula
/// gives in doubles. The window sweeps use it to run all channels at once, and the bucket merge to
/// divide two channels per instruction, while each channel's sums still add in their own order.
/// </summary>
internal readonly struct ChannelLanes
{
    /// <summary>Where the fifth vector starts. The layout is for 9 channels: this fails to compile (division by zero) if the count changes.</summary>
    private const int LastPair = 7 / (FeatureLayout.ChannelCount == 9 ? 1 : 0);

    private readonly Vector128<double> _c01;
    private readonly Vector128<double> _c23;
    private readonly Vector128<double> _c45;
    private readonly Vector128<double> _c67;
    private readonly Vector128<double> _c78;

    private ChannelLanes(Vector128<double> c01, Vector128<double> c23, Vector128<double> c45, Vector128<double> c67, Vector128<double> c78)
    {
        _c01 = c01;
        _c23 = c23;
        _c45 = c45;
        _c67 = c67;
        _c78 = c78;
    }

    public static ChannelLanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes Load(ReadOnlySpan<double> channels)
    {
        ref var first = ref MemoryMarshal.GetReference(channels[..FeatureLayout.ChannelCount]);
        return new(
            Vector128.LoadUnsafe(ref first, 0),
            Vector128.LoadUnsafe(ref first, 2),
            Vector128.LoadUnsafe(ref first, 4),
            Vector128.LoadUnsafe(ref first, 6),
            Vector128.LoadUnsafe(ref first, LastPair));
    }

    /// <summary>A sample's float values, widened exactly to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes Widen(ReadOnlySpan<float> channels)
    {
        ref var first = ref MemoryMarshal.GetReference(channels[..FeatureLayout.ChannelCount]);
        return new(WidenPair(ref first, 0), WidenPair(ref first, 2), WidenPair(ref first, 4), WidenPair(ref first, 6), WidenPair(ref first, LastPair));
    }

    /// <summary>Two floats by one 64-bit load: a 128-bit load would need a shuffle per upper pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> WidenPair(ref float first, nuint offset) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref first, offset)))).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<double> channels)
    {
        ref var first = ref MemoryMarshal.GetReference(channels[..FeatureLayout.ChannelCount]);
        _c01.StoreUnsafe(ref first, 0);
        _c23.StoreUnsafe(ref first, 2);
        _c45.StoreUnsafe(ref first, 4);
        _c78.StoreUnsafe(ref first, LastPair);
        _c67.StoreUnsafe(ref first, 6); // after the fifth vector, so channel 7 comes from its own lane
    }

    /// <summary>Rounds every channel to float (to nearest, as a scalar cast does) and stores it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNarrowed(Span<float> channels)
    {
        ref var first = ref MemoryMarshal.GetReference(channels[..FeatureLayout.ChannelCount]);
        Vector128.Narrow(_c01, _c23).StoreUnsafe(ref first, 0);
        Vector128.Narrow(_c45, _c67).StoreUnsafe(ref first, 4);
        Unsafe.Add(ref first, LastPair + 1) = (float)_c78.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes operator +(ChannelLanes a, ChannelLanes b) =>
        new(a._c01 + b._c01, a._c23 + b._c23, a._c45 + b._c45, a._c67 + b._c67, a._c78 + b._c78);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes operator -(ChannelLanes a, ChannelLanes b) =>
        new(a._c01 - b._c01, a._c23 - b._c23, a._c45 - b._c45, a._c67 - b._c67, a._c78 - b._c78);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes operator *(ChannelLanes a, ChannelLanes b) =>
        new(a._c01 * b._c01, a._c23 * b._c23, a._c45 * b._c45, a._c67 * b._c67, a._c78 * b._c78);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes operator *(ChannelLanes a, double b) =>
        new(a._c01 * b, a._c23 * b, a._c45 * b, a._c67 * b, a._c78 * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelLanes operator /(ChannelLanes a, double b) =>
        new(a._c01 / b, a._c23 / b, a._c45 / b, a._c67 / b, a._c78 / b);
}
