using System.Diagnostics;
using System.Threading.Channels;

namespace ItemsApi.TestKit;

/// <summary>What a finished process said: its exit code, standard output and standard error.</summary>
public sealed record ProcessOutcome(int ExitCode, string Output, string Errors);

/// <summary>
/// Runs a command to its end (<see cref="RunAsync"/>) or starts one to talk to while it runs (<see cref="Start"/>). Both
/// pipes are read at once, so neither fills and blocks the process. It never resumes on the caller's context, so a
/// synchronous test may wait for it.
/// </summary>
public static class ProcessRun
{
    /// <summary>Runs the command to its end; kills it, and everything it started, if it overruns.</summary>
    public static async Task<ProcessOutcome> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        ProcessStartInfo start = StartInfo(fileName, arguments, workingDirectory, environment, redirectInput: input is not null);
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
            throw new TimeoutException($"{Describe(start)} did not finish within {limit.TotalSeconds} s");
        }
        return new ProcessOutcome(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    /// <summary>Starts the command and reads its output line by line while it runs; disposing it kills what is still running.</summary>
    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool redirectInput = false) =>
        new(StartInfo(fileName, arguments, workingDirectory, environment, redirectInput));

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, bool redirectInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return start;
    }

    internal static string Describe(ProcessStartInfo start) => $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
}

/// <summary>
/// A process a test talks to while it runs: its standard output line by line as it comes (read all along, so the
/// process never blocks on a full pipe), its standard error whole when it ends. Disposing it kills the process and
/// everything it started, if still running.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessStartInfo _start;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _read = [];
    private readonly Task<string> _errors;

    internal RunningProcess(ProcessStartInfo start)
    {
        _start = start;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        _errors = _process.StandardError.ReadToEndAsync();
        _ = PumpAsync();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public StreamWriter StandardInput => _process.StandardInput;

    private async Task PumpAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line) _lines.Writer.TryWrite(line);
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    /// <summary>The next line of standard output; null when the process closed it (it ended).</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        if (!await _lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        string line = await _lines.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _read.Add(line);
        return line;
    }

    /// <summary>
    /// Reads standard output until <paramref name="done"/> says the lines read so far are enough; fails with what the
    /// process wrote if it ends first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReadLinesUntilAsync(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        while (!done(lines))
        {
            string? line;
            try
            {
                line = await ReadLineAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{ProcessRun.Describe(_start)}: not the expected output within {timeout.TotalSeconds} s:\n{string.Join('\n', _read)}");
            }
            if (line is null)
                throw new InvalidOperationException($"{ProcessRun.Describe(_start)} ended early:\n{string.Join('\n', _read)}\n{await _errors.ConfigureAwait(false)}");
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Everything the process wrote to standard error; complete once it has ended.</summary>
    public Task<string> ErrorsAsync() => _errors;

    /// <summary>Waits for the process to end and gives its exit code; fails if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{ProcessRun.Describe(_start)} did not end within {timeout.TotalSeconds} s");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends a signal (kill's name for it: INT, TERM) to the process alone.</summary>
    public void Signal(string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("Could not start kill");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }
}
