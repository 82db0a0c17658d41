using System.ComponentModel.DataAnnotations;
using OpenData.Platform.Auth;

namespace OpenData.Tests.Auth;

public class OperatorOptionsTests
{
    private static List<string> Errors(OperatorOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Fact]
    public void Both_or_neither_and_a_secret_of_sixteen_characters()
    {
        Assert.Empty(Errors(new OperatorOptions()));
        Assert.Empty(Errors(new OperatorOptions { ClientId = "ops", ClientSecret = "sixteen-chars-ok" }));
        Assert.Equal(["set both OpenData:Operator:ClientId and OpenData:Operator:ClientSecret, or neither"], Errors(new OperatorOptions { ClientId = "ops" }));
        Assert.Equal(["set both OpenData:Operator:ClientId and OpenData:Operator:ClientSecret, or neither"], Errors(new OperatorOptions { ClientSecret = "sixteen-chars-ok" }));
        Assert.Equal(["OpenData:Operator:ClientSecret must have at least 16 characters"], Errors(new OperatorOptions { ClientId = "ops", ClientSecret = "fifteen-chars!!" }));
    }
}
