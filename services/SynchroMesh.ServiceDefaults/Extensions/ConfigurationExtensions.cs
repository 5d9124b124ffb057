using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

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
}
