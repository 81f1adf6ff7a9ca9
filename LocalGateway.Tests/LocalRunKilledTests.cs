using System.Diagnostics;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// Issue 27, "No orphaned servers": dynalite dies with its owner even when the owner is killed with SIGKILL, which runs
/// no dispose, no finalizer and no signal handler (a crashed test host, Stryker's timeouts, kill -9 of the local run).
/// Node has no prctl(PR_SET_PDEATHSIG); tools/dynalite/server.js exits when its standard input ends instead, and the
/// kernel closes the owner's end of that pipe when the owner dies, however it dies.
/// </summary>
public sealed partial class LocalRunProcessTests
{
    [Fact]
    public async Task Killing_the_local_run_with_sigkill_stops_its_dynalite_and_frees_its_port()
    {
        await using RunningProcess process = Start("--port", "0", "--stack", "dev");
        IReadOnlyList<string> banner = await process.ReadLinesUntilAsync(lines => Field(lines, "URL") is not null && Field(lines, "DynamoDB") is not null,
            TimeSpan.FromSeconds(90));
        string url = Field(banner, "URL")!, dynamoDb = Field(banner, "DynamoDB")!.Split(' ')[0];
        int dynalite = ChildProcesses(process.Id).Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("dynalite"));
        using Process server = Process.GetProcessById(dynalite);
        Assert.True(await AcceptsAsync(new Uri(dynamoDb)));

        process.Signal("KILL"); // the owner alone: its child is not signalled
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        try
        {
            // Reparented to init, which reaps it once it exits; polled, as no event says when.
            var waited = Stopwatch.StartNew();
            while (!server.HasExited && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
            Assert.True(server.HasExited, $"dynalite (process {dynalite}) still runs {waited.Elapsed.TotalSeconds:0} s after its owner was killed");
            Assert.False(await AcceptsAsync(new Uri(dynamoDb)));
            Assert.False(await AcceptsAsync(new Uri(url)));
        }
        finally
        {
            if (!server.HasExited) server.Kill(); // never leave one behind, even when the test fails
        }
    }
}
