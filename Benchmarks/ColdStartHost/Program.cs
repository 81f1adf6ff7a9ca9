using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using ItemsApi.Functions;

// Prints one JSON line: the time of each phase of a cold invoke, in milliseconds, and the peak memory.
// With the argument "sdk": the steps of the AWS SDK's first DynamoDB call instead, one by one.
if (args.Length > 0 && args[0] == "sdk") return await FirstDynamoDbCall.MeasureAsync();
long mainAt = Stopwatch.GetTimestamp();
double sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;

long t = Stopwatch.GetTimestamp();
var function = new ItemsFunction();
double constructor = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

t = Stopwatch.GetTimestamp();
var serializer = new SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>();
APIGatewayProxyRequest request;
using (var input = new MemoryStream(Encoding.UTF8.GetBytes(Event)))
    request = serializer.Deserialize<APIGatewayProxyRequest>(input);
double deserialize = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

t = Stopwatch.GetTimestamp();
APIGatewayProxyResponse response = await function.HandleAsync(request, new ColdContext());
double invoke = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

t = Stopwatch.GetTimestamp();
using var output = new MemoryStream();
serializer.Serialize(response, output);
double serialize = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

// The first response is out: the parent's clock stops when it reads this line.
Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
{
    ["status"] = response.StatusCode,
    ["runtimeStartMs"] = Math.Max(0, sinceStart),
    ["constructorMs"] = constructor,
    ["deserializeMs"] = deserialize,
    ["firstInvokeMs"] = invoke,
    ["serializeMs"] = serialize,
    ["mainToResponseMs"] = Stopwatch.GetElapsedTime(mainAt).TotalMilliseconds,
    ["peakRssKb"] = PeakRssKb(),
}));
return 0;

static double PeakRssKb()
{
    foreach (string line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
    return 0;
}

public partial class Program
{
    /// <summary>A POST /items event as API Gateway's REST proxy integration sends it.</summary>
    private const string Event = """
        {"resource":"/items","path":"/items","httpMethod":"POST",
         "headers":{"content-type":"application/json","x-api-key":"k3yK3yK3yK3yK3yK3yK3yK3y","Host":"a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"},
         "multiValueHeaders":{"content-type":["application/json"]},
         "queryStringParameters":null,"pathParameters":null,"stageVariables":null,
         "requestContext":{"resourcePath":"/items","httpMethod":"POST","path":"/dev/items","stage":"dev","requestId":"cold-1",
           "identity":{"sourceIp":"203.0.113.7","apiKeyId":"abc123"},"accountId":"123456789012","apiId":"a1b2c3d4e5"},
         "body":"{\"name\":\"lamp\",\"price\":12.5,\"tags\":[\"a\",\"b\"]}","isBase64Encoded":false}
        """;
}

/// <summary>The invoke's context, as the runtime fills it.</summary>
internal sealed class ColdContext : ILambdaContext
{
    public string AwsRequestId => "cold-lambda-1";
    public IClientContext ClientContext => null!;
    public string FunctionName => "items-api-bench-items";
    public string FunctionVersion => "$LATEST";
    public ICognitoIdentity Identity => null!;
    public string InvokedFunctionArn => "arn:aws:lambda:eu-west-1:123456789012:function:items-api-bench-items";
    public ILambdaLogger Logger { get; } = new ConsoleLogger();
    public string LogGroupName => "/aws/lambda/items-api-bench-items";
    public string LogStreamName => "bench";
    public int MemoryLimitInMB => 512;
    public TimeSpan RemainingTime => TimeSpan.FromSeconds(10);

    private sealed class ConsoleLogger : ILambdaLogger
    {
        public void Log(string message) => Console.Error.Write(message);
        public void LogLine(string message) => Console.Error.WriteLine(message);

        // The function logs message templates. ILambdaLogger's default for this overload calls itself (a stack
        // overflow in Amazon.Lambda.Core 3.2.0), so every logger outside Lambda's runtime must implement it.
        public void Log(string level, string message, params object[] args) =>
            Console.Error.WriteLine($"{level}: {message} [{string.Join(", ", args)}]");
    }
}
