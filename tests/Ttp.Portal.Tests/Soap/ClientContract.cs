namespace Ttp.Portal.Tests.Soap;

public static class ClientContract
{
    public const string Namespace = "urn:ttp:keydistribution:v1";
}
