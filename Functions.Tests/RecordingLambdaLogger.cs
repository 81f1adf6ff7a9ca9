using Amazon.Lambda.Core;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// Records what the function hands Lambda's logger: level, message template and values, before any formatting
/// (TestLambdaLogger only keeps its own rendering of them).
/// </summary>
public sealed class RecordingLambdaLogger : ILambdaLogger
{
    public List<(string Level, string Template, object[] Values)> Entries { get; } = [];

    public void Log(string message) => Entries.Add(("", message, []));
    public void LogLine(string message) => Entries.Add(("", message, []));
    public void Log(string level, string message) => Entries.Add((level, message, []));
    public void Log(string level, string message, params object[] args) => Entries.Add((level, message, args));

    public void Log(string level, Exception exception, string message, params object[] args) =>
        Entries.Add((level, message, [.. args, exception]));
}
