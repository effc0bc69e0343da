using System.Text;
using Orleans.Storage;

namespace HvsGrains.Grains.Storage;

/// <summary>
/// Makes the provider's two hash parameters carry the full grain id ("type/key").
/// Orleans' ADO.NET provider keys rows by the state name and the parsed key only, so two grain
/// types with the same key and state name share a row (dotnet/orleans#8746), and digit-only string
/// keys such as "020235" and "20235" parse to the same number (dotnet/orleans#9706).
/// The stored queries keep both hashes in the primary key, so such rows stay apart unless two
/// independent 32-bit hashes collide together.
/// </summary>
public sealed class GrainIdentityHashPicker : IStorageHasherPicker
{
    private static readonly OrleansDefaultHasher Inner = new();

    public ICollection<IHasher> HashProviders { get; } = [Inner];

    public IHasher? PickHasher<T>(string serviceId, string storageProviderInstanceName, string grainType, GrainId grainId, IGrainState<T> grainState, string? tag = null) =>
        new IdentityHasher(grainId);

    private sealed class IdentityHasher(GrainId grainId) : IHasher
    {
        public string Description => $"{Inner.Description} over the grain id and the provider's input.";

        public int Hash(byte[] data)
        {
            var id = Encoding.UTF8.GetBytes(grainId.ToString());
            var buffer = new byte[id.Length + 1 + data.Length];
            id.CopyTo(buffer, 0);
            // The 0 separator keeps "ab"+"c" and "a"+"bc" apart; grain ids are text and hold no 0 byte.
            data.CopyTo(buffer, id.Length + 1);
            return Inner.Hash(buffer);
        }
    }
}
