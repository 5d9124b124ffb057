using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SynchroMesh.ServiceDefaults.Data;

namespace SynchroMesh.ServiceDefaults.Extensions;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Binds and validates a section now, for settings that the service's wiring itself depends on (names of
    /// queues, say). Throws with every problem, each naming its setting.
    /// </summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, results.Select(r => r.ErrorMessage)));
        }

        return options;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, checked against its validation attributes as the service starts:
    /// a bad value stops start-up naming the setting, instead of failing at first use.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>
    /// The PostgreSQL connection string <c>ConnectionStrings:{name}</c>; a missing or malformed one stops start-up naming
    /// the setting (<see cref="DatabaseExtensions.ValidateConnectionString"/>).
    /// </summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name) =>
        DatabaseExtensions.ValidateConnectionString(configuration.GetConnectionString(name), $"ConnectionStrings:{name}");
}
