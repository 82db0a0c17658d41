namespace OpenData.Tests.Infrastructure;

/// <summary>Checks every JSON answer a test client receives against the OpenAPI document, failing the test on a mismatch.</summary>
public sealed class ContractCheckingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        // The document itself is the contract, not an answer described by it.
        if (mediaType is not ("application/json" or "application/problem+json") || request.RequestUri is null
            || request.RequestUri.AbsolutePath.StartsWith("/openapi/", StringComparison.Ordinal)
            // OAuth and OpenID endpoints answer as their RFCs say (6749, 7009, 7662, OIDC Discovery), not by our document.
            || request.RequestUri.AbsolutePath.StartsWith("/connect/", StringComparison.Ordinal)
            || request.RequestUri.AbsolutePath.StartsWith("/graphql", StringComparison.Ordinal)
            || request.RequestUri.AbsolutePath.StartsWith("/.well-known/", StringComparison.Ordinal))
        {
            return response;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = ContractValidator.Check(request.Method.Method, request.RequestUri.AbsolutePath, (int)response.StatusCode, mediaType, body);
        Assert.True(problem is null, problem);
        var headers = response.Content.Headers.ToList();
        response.Content = new StringContent(body);
        response.Content.Headers.Clear();
        foreach (var (name, values) in headers)
        {
            response.Content.Headers.TryAddWithoutValidation(name, values);
        }
        return response;
    }
}
