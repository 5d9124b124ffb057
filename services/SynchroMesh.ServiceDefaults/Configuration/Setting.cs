using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace SynchroMesh.ServiceDefaults.Configuration;

/// <summary>
/// How a problem with a setting is told to an operator: by its key and by the environment variable that sets it in a
/// container (<c>Sync:AckTimeout (env Sync__AckTimeout)</c>), so that the message says what to change either way.
/// Settings classes name the rule of each value with validation attributes whose messages start with <c>{0}</c>,
/// which <see cref="Problems"/> fills with the setting's name.
/// </summary>
public static class Setting
{
    public const string Required = "{0} is required.";
    public const string Between = "{0} must be between {1} and {2}.";

    /// <summary>A setting's key and its environment variable: <c>RabbitMq:Host (env RabbitMq__Host)</c>.</summary>
    public static string Describe(string key) => $"{key} (env {EnvironmentName(key)})";

    /// <summary>The environment variable that sets a configuration key: <c>RabbitMq__Host</c> for <c>RabbitMq:Host</c>.</summary>
    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// What is wrong with a section's bound values, each problem naming its setting: first every property against its
    /// validation attributes, then, when those pass, the object's own rules (<see cref="IValidatableObject"/>).
    /// </summary>
    public static IReadOnlyList<string> Problems(object settings, string section)
    {
        var results = new List<ValidationResult>();
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.IsDefined(typeof(ValidationAttribute), inherit: true))
            {
                var context = new ValidationContext(settings)
                {
                    MemberName = property.Name,
                    DisplayName = Describe($"{section}:{property.Name}"),
                };
                Validator.TryValidateProperty(property.GetValue(settings), context, results);
            }
        }

        if (results.Count == 0 && settings is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(new ValidationContext(settings)));
        }

        return [.. results.Select(result => result.ErrorMessage ?? $"{section}: {result}")];
    }
}

/// <summary>
/// A <see cref="TimeSpan"/> setting's range, given as the configuration writes it (<c>"00:00:01"</c>, <c>"1.00:00:00"</c>);
/// the message quotes the bounds that way too.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeSpanSettingAttribute : RangeAttribute
{
    private readonly string _minimum;
    private readonly string _maximum;

    public TimeSpanSettingAttribute(string minimum, string maximum)
        : base(typeof(TimeSpan), minimum, maximum)
    {
        _minimum = minimum;
        _maximum = maximum;
    }

    public override string FormatErrorMessage(string name) => $"{name} must be a TimeSpan between {_minimum} and {_maximum}.";
}
