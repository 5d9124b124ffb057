using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SynchroMesh.ServiceDefaults.Extensions;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Binds and validates a section now, for settings that the service's wiring itself depends on (names of
    /// queues, say). Throws with every problem, each naming its setting (<see cref="Setting.Problems"/>).
    /// </summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var problems = Setting.Problems(options, section);
        return problems.Count == 0 ? options : throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, checked as the service starts (<see cref="Setting.Problems"/>):
    /// a bad value stops start-up naming the setting, instead of failing at first use.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// The PostgreSQL connection string <c>ConnectionStrings:{name}</c>; a missing or malformed one stops start-up naming
    /// the setting (<see cref="DatabaseExtensions.ValidateConnectionString"/>).
    /// </summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name) =>
        DatabaseExtensions.ValidateConnectionString(configuration.GetConnectionString(name), $"ConnectionStrings:{name}");

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        // The section binds the unnamed options only; a named instance is configured elsewhere, by other rules.
        public ValidateOptionsResult Validate(string? name, T options) =>
            name is not null && name != Options.DefaultName ? ValidateOptionsResult.Skip
            : Setting.Problems(options, section) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
    }
}
