using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Ingestion;

namespace OpenData.Portal.Publishing;

/// <summary>
/// The upload page's body limits, set before the antiforgery check reads the form: the platform's upload limit (as for
/// <c>POST /v1/datasets/{id}/versions</c>), plus room for a multipart form's own lines. The service still counts the file's
/// bytes and refuses a larger one with the API's words.
/// </summary>
internal sealed class UploadLimits : IAuthorizationFilter, IOrderedFilter
{
    private const long MultipartRoom = 64 * 1024;

    // Before the antiforgery filter (order 1000), which reads a posted form.
    public int Order => -3000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return;
        }
        var max = http.RequestServices.GetRequiredService<IngestionService>().MaxUploadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max + MultipartRoom;
        }
        if (http.Request.HasFormContentType)
        {
            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = max + MultipartRoom }));
        }
    }
}
