using System.Buffers.Binary;
using System.Text;

namespace ItemsApi.Functions.Tests;

/// <summary>What a test needs to know of a 64-bit little-endian ELF executable: its processor and its section names.</summary>
public sealed record ElfFile(ushort Machine, IReadOnlyList<string> Sections)
{
    public const ushort X86_64 = 62;
    public const ushort AArch64 = 183;

    /// <summary>Reads the ELF header and the section header table (ELF-64 Object File Format, sections 3 and 4).</summary>
    public static ElfFile Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 64 || !file.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']))
            throw new InvalidDataException($"{path} is not an ELF file");
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(18));
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(40));
        ushort entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(58));
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(60));
        ushort namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(62));

        Span<byte> Entry(int index) => file.AsSpan((int)(sectionTable + index * entrySize), entrySize);
        long namesOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(Entry(namesIndex)[24..]);
        var sections = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int nameStart = (int)(namesOffset + BinaryPrimitives.ReadUInt32LittleEndian(Entry(i)));
            int nameEnd = Array.IndexOf(file, (byte)0, nameStart);
            sections.Add(Encoding.ASCII.GetString(file, nameStart, nameEnd - nameStart));
        }
        return new ElfFile(machine, sections);
    }
}
