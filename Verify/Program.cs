using ItemsApi.Verify;

// `dotnet run --project Verify -- [options]`: see VerifyCli and the README's "Verify a stage".
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops the checks but lets the cleanup delete what was created; a second one ends the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};
return await VerifyCli.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancel.Token);
