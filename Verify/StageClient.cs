using System.Text;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.Verify;

/// <summary>
/// Sends the contract's requests one at a time: paced to <see cref="ContractOptions.RequestInterval"/>, retried with
/// backoff on 429, and counted (every attempt is a request the stage sees and the usage plan counts).
/// </summary>
internal sealed class StageClient(HttpClient http, ContractOptions options)
{
    private long? _lastSent;

    public int RequestsSent { get; private set; }

    public async Task<Exchange> SendAsync(RequestSpec request, CancellationToken cancellationToken)
    {
        TimeSpan backoff = options.ThrottleBackoff;
        for (int attempt = 1; ; attempt++)
        {
            Exchange exchange = await SendOnceAsync(request, attempt, cancellationToken);
            if (exchange.Status != GatewayAnswer.Throttled.Status || attempt > options.ThrottleRetries) return exchange;
            // API Gateway answers 429 before the function runs, so sending any request again is safe.
            await options.Delay(backoff, cancellationToken);
            backoff *= 2;
        }
    }

    private async Task<Exchange> SendOnceAsync(RequestSpec spec, int attempt, CancellationToken cancellationToken)
    {
        await PaceAsync(cancellationToken);
        using var request = new HttpRequestMessage(new HttpMethod(spec.Method), spec.Url);
        if (spec.Body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(spec.Body));
        foreach ((string name, string value) in spec.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase)) request.Content?.Headers.TryAddWithoutValidation(name, value);
            else request.Headers.TryAddWithoutValidation(name, value);
        }

        RequestsSent++;
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Select(h => KeyValuePair.Create(h.Key, string.Join(", ", h.Value))).ToList();
            return new Exchange(spec, (int)response.StatusCode, headers, body, null, attempt);
        }
        catch (Exception exception) when (exception is HttpRequestException || exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            string error = exception is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0} s" : exception.Message;
            return new Exchange(spec, null, [], null, error, attempt);
        }
    }

    /// <summary>Keeps requests at least <see cref="ContractOptions.RequestInterval"/> apart, well under the usage plan's rate.</summary>
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_lastSent is { } last)
        {
            TimeSpan wait = options.RequestInterval - options.Clock.GetElapsedTime(last);
            if (wait > TimeSpan.Zero) await options.Delay(wait, cancellationToken);
        }
        _lastSent = options.Clock.GetTimestamp();
    }
}
