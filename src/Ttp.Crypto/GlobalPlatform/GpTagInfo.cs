namespace Ttp.Crypto.GlobalPlatform;

/// <summary>What a known GlobalPlatform tag is called and what it holds, in the context it was found (see <see cref="GpTags.Lookup"/>).</summary>
/// <param name="Name">The name the specification gives the data object (e.g. <c>Key Diversification Data</c>).</param>
/// <param name="Meaning">A short statement of what the value holds, with the specification section.</param>
public sealed record GpTagInfo(string Name, string Meaning);
