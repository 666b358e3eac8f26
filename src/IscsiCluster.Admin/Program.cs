using IscsiCluster.Admin;
using IscsiCluster.Admin.Transport;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var command = new AdminCommand(
    Console.Out,
    Console.Error,
    endpoint => new SocketAdminTransport(endpoint),
    Environment.GetEnvironmentVariable,
    AdminEndpoint.DefaultRunDirectory(),
    showProgress: !Console.IsErrorRedirected);
return await command.RunAsync(args, cancellation.Token);
