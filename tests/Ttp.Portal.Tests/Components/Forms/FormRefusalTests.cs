using Ttp.Domain;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Tests.Components.Forms;

/// <summary>How a domain refusal reaches a form: the field it names, in sentence case.</summary>
public sealed class FormRefusalTests
{
    [Theory]
    [InlineData("name: expected 1 to 64 characters", "name", "Expected 1 to 64 characters.")]
    [InlineData("rate limit: expected a number above 0", "rate limit", "Expected a number above 0.")]
    [InlineData("issuer 'ZZ': expected an IIN", "issuer", "Issuer 'ZZ': expected an IIN.")]
    [InlineData("password: Use at least 12 characters. Add a digit.", "password", "Use at least 12 characters. Add a digit.")]
    public void Of_InputError_FieldAndSentence(string message, string field, string sentence)
    {
        var refusal = FormRefusal.Of(new DomainInputException(message));

        Assert.Equal((field, sentence), (refusal.Field, refusal.Message));
    }

    [Fact]
    public void Of_RuleViolation_FormSentence()
    {
        var refusal = FormRefusal.Of(new RuleViolationException("a staff account for a@b.example already exists"));

        Assert.Equal((null, "A staff account for a@b.example already exists."), (refusal.Field, refusal.Message));
    }

    [Fact]
    public void ServerRefusal_FieldKeepsRefusedValue_MessageUntilTheValueChanges()
    {
        var server = new ServerRefusal();
        server.Set(FormRefusal.Of(new DomainInputException("name: taken")), _ => "acme");
        var check = server.On<string?>("name", _ => null);

        Assert.Equal(("Taken.", null, null), (check("acme"), check("acme-2"), server.ForForm("name")));
    }
}
