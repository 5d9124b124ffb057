using SynchroMesh.Admin;

return await AdminCommand.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
