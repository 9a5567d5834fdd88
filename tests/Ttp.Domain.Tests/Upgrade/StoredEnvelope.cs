namespace Ttp.Domain.Tests.Upgrade;

/// <summary>An envelope's four columns (<c>envelope_format</c>, <c>envelope_lmk_id</c>, <c>envelope_wrapped_key</c>, <c>envelope_payload</c>).</summary>
internal sealed record StoredEnvelope(int Format, string LmkId, byte[] WrappedDataKey, byte[] Payload);
