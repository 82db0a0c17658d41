using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contract;

/// <summary>The validator that checks every JSON answer of the integration tests must itself refuse what does not fit.</summary>
public class ContractValidatorTests
{
    [Fact]
    public void A_fitting_answer_passes_and_misfits_are_named()
    {
        Assert.Null(ContractValidator.Check("GET", "/v1/themes", 200, "application/json", """{"items":[{"id":"a","name":"甲","nameEn":"A"}]}"""));
        Assert.NotNull(ContractValidator.Check("GET", "/v1/themes", 200, "application/json", """{"items":[{"id":"a","name":"甲"}]}"""));
        Assert.NotNull(ContractValidator.Check("GET", "/v1/themes", 200, "application/json", """{"items":[{"id":"a","name":"甲","nameEn":"A","extra":1}]}"""));
        Assert.NotNull(ContractValidator.Check("GET", "/v1/datasets", 200, "application/json", """{"items":"none","next":null}"""));
        Assert.Null(ContractValidator.Check("GET", "/v1/datasets", 200, "application/json", """{"items":[],"next":null}"""));
        Assert.NotNull(ContractValidator.Check("GET", "/v1/undocumented", 200, "application/json", "{}"));
        Assert.NotNull(ContractValidator.Check("GET", "/v1/themes", 201, "application/json", "{}"));
    }
}
