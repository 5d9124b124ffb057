using System.Reflection;

namespace SynchroMesh.FaultLab;

/// <summary>The checkout the tests run from, and the build configuration the services were built in.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Configuration { get; } =
        typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value!;

    /// <summary>The built entry assembly of a service, e.g. <c>SynchroMesh.HeadOfficeIngest</c>.</summary>
    public static string ServiceAssembly(string project) =>
        System.IO.Path.Combine(Path, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "SynchroMesh.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SynchroMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
