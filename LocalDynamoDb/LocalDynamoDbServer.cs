using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ItemsApi.Core.Runtime;

namespace ItemsApi.LocalDynamoDb;

/// <summary>
/// A DynamoDB-compatible endpoint for running without AWS. By default it starts dynalite (the version
/// pinned in tools/dynalite/package.json, installed with npm on first use) on a free loopback port, behind a guard in
/// the same process (tools/dynalite/server.js) that refuses requests from web pages: any with an <c>Origin</c> header
/// or a <c>Host</c> that is not a loopback name gets 403 and never reaches dynalite, which would otherwise let any page
/// that finds the port read and change the table.
/// When <c>DYNAMODB_ENDPOINT</c> is set it uses that server instead (DynamoDB Local, say) and starts nothing.
/// Dispose it to stop the server it started.
/// </summary>
public sealed class LocalDynamoDbServer : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalDynamoDbServer(string endpoint, Process? process, string? dataDirectory)
    {
        Endpoint = endpoint;
        _process = process;
        DataDirectory = dataDirectory;
        // Completes only if the server dies on its own; stopping it ourselves (dispose) never completes it.
        Died = process is null ? new TaskCompletionSource().Task : DiedAsync(process);
    }

    private async Task DiedAsync(Process process)
    {
        if (await Task.WhenAny(process.WaitForExitAsync(), _stopping.Task) == _stopping.Task) await Task.Delay(Timeout.Infinite);
    }

    /// <summary>Completes if the server this object started exits while in use (killed, crashed); never for an external endpoint.</summary>
    public Task Died { get; }

    /// <summary>Where the server keeps its data, or null when it is in memory (or external).</summary>
    public string? DataDirectory { get; }

    /// <summary>The started server's process id, or null for an external endpoint.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The endpoint URL to give the AWS SDK, e.g. <c>http://127.0.0.1:45123</c>.</summary>
    public string Endpoint { get; }

    /// <summary>True when this object started a server (and will stop it).</summary>
    public bool IsOwnProcess => _process is not null;

    /// <param name="dataDirectory">Keep data here across restarts; null keeps it in memory.</param>
    /// <param name="externalEndpoint">Use this server instead of starting one; defaults to <c>DYNAMODB_ENDPOINT</c>.</param>
    public static async Task<LocalDynamoDbServer> StartAsync(string? dataDirectory = null, string? externalEndpoint = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        externalEndpoint ??= Environment.GetEnvironmentVariable(FunctionContract.DynamoDbEndpointVariable);
        if (!string.IsNullOrEmpty(externalEndpoint)) return new LocalDynamoDbServer(externalEndpoint, null, null);

        string installDirectory = await EnsureInstalledAsync(log, cancellationToken);
        if (dataDirectory is not null) Directory.CreateDirectory(dataDirectory);

        Process process = StartGuardedDynalite(installDirectory, dataDirectory, out Task<string?> listening, out Func<string> errors);
        string? endpoint = null;
        try
        {
            endpoint = await listening.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported below, as a server that ended without listening is.
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
        if (endpoint is null)
        {
            Stop(process);
            await process.WaitForExitAsync(CancellationToken.None);
            string message = $"dynalite did not start on 127.0.0.1 within {StartTimeout.TotalSeconds} s (exit code {process.ExitCode}).{Environment.NewLine}{errors()}";
            process.Dispose();
            throw new InvalidOperationException(message);
        }
        return new LocalDynamoDbServer(endpoint, process, dataDirectory is null ? null : Path.GetFullPath(dataDirectory));
    }

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The line tools/dynalite/server.js prints once it listens; it picks its own free port, so no other process can take it first.</summary>
    private static readonly Regex ListeningLine = new(@"^dynalite listening on (http://127\.0\.0\.1:\d+)$");

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        _stopping.TrySetResult();
        Stop(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The folder holding tools/dynalite/package.json, found from the working directory or the app's.</summary>
    public static string ToolDirectory()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, "tools", "dynalite");
                if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
            }
        }
        throw new InvalidOperationException("tools/dynalite/package.json not found; run from inside the repository.");
    }

    private static async Task<string> EnsureInstalledAsync(Action<string>? log, CancellationToken cancellationToken)
    {
        string directory = ToolDirectory();
        string installedMarker = Path.Combine(directory, "node_modules", "dynalite", "index.js");
        if (File.Exists(installedMarker)) return directory;

        // Test assemblies run in parallel: one installs, the others wait on the lock file.
        await using FileStream installLock = await AcquireLockAsync(Path.Combine(directory, ".install.lock"), cancellationToken);
        if (File.Exists(installedMarker)) return directory;

        log?.Invoke("Installing dynalite (tools/dynalite, npm ci)...");
        var npm = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm. Is Node.js installed?");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(installedMarker))
            throw new InvalidOperationException($"npm ci in {directory} failed ({process.ExitCode}):{Environment.NewLine}{await output}{await errors}");
        return directory;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <param name="listening">The endpoint, once the server listens; null if it ends without listening.</param>
    /// <param name="errors">What the server has written to standard error so far.</param>
    private static Process StartGuardedDynalite(string installDirectory, string? dataDirectory, out Task<string?> listening, out Func<string> errors)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = installDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Never written: the server stops when this pipe closes, so it ends with this process however that ends
            // (a test host killed by a timeout or by Stryker, Ctrl+C), not only on DisposeAsync.
            RedirectStandardInput = true,
        };
        // The full path, so the process's command line names dynalite.
        start.ArgumentList.Add(Path.Combine(installDirectory, "server.js"));
        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(Path.GetFullPath(dataDirectory));
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node. Is Node.js installed?");

        var endpoint = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorText = new StringBuilder();
        // Read both pipes to the end, so the server never blocks on a full buffer.
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) endpoint.TrySetResult(null);
            else if (ListeningLine.Match(line.Data) is { Success: true } match) endpoint.TrySetResult(match.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) lock (errorText) errorText.AppendLine(line.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        listening = endpoint.Task;
        errors = () => { lock (errorText) return errorText.ToString(); };
        return process;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
