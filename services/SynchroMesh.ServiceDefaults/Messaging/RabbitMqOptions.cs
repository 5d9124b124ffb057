using System.ComponentModel.DataAnnotations;

namespace SynchroMesh.ServiceDefaults.Messaging;

/// <summary>The broker connection, bound from the <c>RabbitMq</c> section (env <c>RabbitMq__Host</c> and so on).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required(ErrorMessage = "RabbitMq:Host (env RabbitMq__Host) is required.")]
    public string Host { get; set; } = "";

    [Range(1, 65535, ErrorMessage = "RabbitMq:Port (env RabbitMq__Port) must be between 1 and 65535.")]
    public int Port { get; set; } = 5672;

    [Required(ErrorMessage = "RabbitMq:VirtualHost (env RabbitMq__VirtualHost) is required.")]
    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = "RabbitMq:Username (env RabbitMq__Username) is required.")]
    public string Username { get; set; } = "";

    [Required(ErrorMessage = "RabbitMq:Password (env RabbitMq__Password) is required.")]
    public string Password { get; set; } = "";

    /// <summary>Declare our queues as quorum queues (for a RabbitMQ cluster); classic queues otherwise.</summary>
    public bool UseQuorumQueues { get; set; }
}
