namespace OpenData.Sandbox.Twins;

/// <summary>A set of 64-bit hashes (open addressing, linear probing): about 16 bytes a value, no per-value object.</summary>
internal sealed class HashSet64
{
    private ulong[] _slots = new ulong[64];
    private bool _hasZero;

    public int Count { get; private set; }

    /// <summary>Adds the hash; false when it was there already.</summary>
    public bool Add(ulong hash)
    {
        if (hash == 0)
        {
            if (_hasZero)
            {
                return false;
            }
            _hasZero = true;
            Count++;
            return true;
        }
        if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
        }
        var mask = _slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                _slots[i] = hash;
                Count++;
                return true;
            }
            if (slot == hash)
            {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    public bool Contains(ulong hash)
    {
        if (hash == 0)
        {
            return _hasZero;
        }
        var mask = _slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (true)
        {
            var slot = _slots[i];
            if (slot == hash)
            {
                return true;
            }
            if (slot == 0)
            {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var hash in old)
        {
            if (hash == 0)
            {
                continue;
            }
            var i = (int)(hash & (ulong)mask);
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }
            _slots[i] = hash;
        }
    }
}
