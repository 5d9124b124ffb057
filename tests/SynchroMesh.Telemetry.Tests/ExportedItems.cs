using System.Collections;

namespace SynchroMesh.Telemetry.Tests;

/// <summary>
/// What an in-memory exporter writes to, safe to read while it writes. The exporter adds from the thread that ended a
/// span, or from the metric reader's, without a lock of its own; a spec reads from its own thread. Every access takes
/// one lock, and a reader works on a copy (<see cref="Snapshot"/>).
/// </summary>
public sealed class ExportedItems<T> : ICollection<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>Everything exported so far, copied under the lock.</summary>
    public List<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_gate)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_gate)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
