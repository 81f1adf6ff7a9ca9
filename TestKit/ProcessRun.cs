using System.Diagnostics;

namespace ItemsApi.TestKit;

/// <summary>What a finished process said: its exit code, standard output and standard error.</summary>
public sealed record ProcessOutcome(int ExitCode, string Output, string Errors);

/// <summary>
/// Runs a command to its end, both pipes read at once (so neither fills and blocks it), killed if it overruns. It never
/// resumes on the caller's context, so a synchronous test may wait for it.
/// </summary>
public static class ProcessRun
{
    public static async Task<ProcessOutcome> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalSeconds} s");
        }
        return new ProcessOutcome(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }
}
