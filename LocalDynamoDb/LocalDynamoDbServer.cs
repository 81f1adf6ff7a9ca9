using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ItemsApi.Core.Runtime;

namespace ItemsApi.LocalDynamoDb;

/// <summary>
/// A DynamoDB-compatible endpoint for running without AWS. By default it starts dynalite (the version
/// pinned in tools/dynalite/package.json, installed with npm on first use) on a free loopback port;
/// when <c>DYNAMODB_ENDPOINT</c> is set it uses that server instead (DynamoDB Local, say) and starts nothing.
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

        // The port is picked here and handed to dynalite; another process could take it in between,
        // so try a few times.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreeLoopbackPort();
            Process process = StartDynalite(installDirectory, port, dataDirectory);
            if (await WaitUntilListeningAsync(process, port, cancellationToken))
                return new LocalDynamoDbServer($"http://127.0.0.1:{port}", process, dataDirectory is null ? null : Path.GetFullPath(dataDirectory));

            Stop(process);
            if (attempt == 3)
                throw new InvalidOperationException($"dynalite did not start on 127.0.0.1 (last try: port {port}). Is Node.js installed?");
        }
    }

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
        string installedMarker = Path.Combine(directory, "node_modules", "dynalite", "cli.js");
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

    private static Process StartDynalite(string installDirectory, int port, string? dataDirectory)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = installDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
                 {
                     Path.Combine("node_modules", "dynalite", "cli.js"), "--host", "127.0.0.1", "--port", port.ToString(),
                     // Tables become ACTIVE at once instead of after dynalite's default half second.
                     "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0",
                 })
            start.ArgumentList.Add(argument);
        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(Path.GetFullPath(dataDirectory));
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node. Is Node.js installed?");
        // Drain the pipes so the server never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitUntilListeningAsync(Process process, int port, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) return false;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
