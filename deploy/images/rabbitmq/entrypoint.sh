#!/bin/sh
# The official image's settings, as a configuration file the server reads with the mounted ones.
set -eu
{
    echo "loopback_users = none"
    [ -z "${RABBITMQ_DEFAULT_USER:-}" ] || echo "default_user = $RABBITMQ_DEFAULT_USER"
    [ -z "${RABBITMQ_DEFAULT_PASS:-}" ] || echo "default_pass = $RABBITMQ_DEFAULT_PASS"
    [ -z "${RABBITMQ_DEFAULT_VHOST:-}" ] || echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"
} >/etc/rabbitmq/conf.d/00-environment.conf
chmod 0600 /etc/rabbitmq/conf.d/00-environment.conf
# Debian's wrapper (/usr/sbin) sends the log to files and keeps a shell between SIGTERM and the server.
exec /usr/lib/rabbitmq/bin/rabbitmq-server
