using System.Net;
using System.Text;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// A proxy in front of the local stage, for broken configurations: <c>intercept</c> sees each request and either
/// answers it itself or calls <c>forward</c> (and may change what comes back). It counts the answers it made up, so
/// tests can count every request that reached "the server side".
/// </summary>
public sealed class InterceptingHandler(Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>> intercept)
    : DelegatingHandler(new SocketsHttpHandler())
{
    private int _answeredHere;

    /// <summary>Requests this proxy answered without forwarding them.</summary>
    public int AnsweredHere => _answeredHere;

    /// <summary>An answer the proxy makes up; counted in <see cref="AnsweredHere"/>.</summary>
    public HttpResponseMessage Answer(HttpStatusCode status, string? json = null)
    {
        Interlocked.Increment(ref _answeredHere);
        var response = new HttpResponseMessage(status);
        if (json is not null) response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        intercept(request, () => base.SendAsync(request, cancellationToken));
}
