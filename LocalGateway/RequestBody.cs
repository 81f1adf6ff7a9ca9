using System.Text;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway;

/// <summary>
/// A request's body as API Gateway hands it to the function: text, or base64 when the bytes are not UTF-8 (as API
/// Gateway passes binary). Over <see cref="GatewayPolicy.MaxPayloadBytes"/> (Kestrel's request body limit) it is not
/// read at all, and <see cref="TooLarge"/> says so.
/// </summary>
internal sealed record RequestBody(string? Text, bool IsBase64, bool TooLarge)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static async Task<RequestBody> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new RequestBody(null, false, TooLarge: true);
        }
        if (buffer.Length == 0) return new RequestBody(null, false, false);
        byte[] bytes = buffer.ToArray();
        try { return new RequestBody(StrictUtf8.GetString(bytes), false, false); }
        catch (DecoderFallbackException) { return new RequestBody(Convert.ToBase64String(bytes), true, false); }
    }
}
