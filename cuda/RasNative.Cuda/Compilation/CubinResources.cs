using System.Buffers.Binary;
using System.Text;

namespace RasNative.Cuda.Compilation;

/// <summary>
/// Register counts and stack frames read from a CUBIN itself, whatever NVRTC printed: the ELF's ".nv.info"
/// section holds per-function attributes (EIATTR_REGCOUNT 0x2f, EIATTR_FRAME_SIZE 0x11) as
/// (format 4, attribute, size, symbol index, value) records naming the function by its symbol-table index.
/// </summary>
public static class CubinResources
{
    const byte FormatSizedValue = 4;
    const byte AttributeFrameSize = 0x11;
    const byte AttributeRegisterCount = 0x2f;
    const uint SymbolTable = 2;

    /// <summary>Kernel name → (registers, stack frame bytes); empty for anything that is not a readable 64-bit ELF.</summary>
    public static IReadOnlyDictionary<string, (int? Registers, int? StackBytes)> Parse(ReadOnlySpan<byte> elf)
    {
        var result = new Dictionary<string, (int? Registers, int? StackBytes)>();
        try
        {
            if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2) return result;
            long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
            int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3a..]);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3c..]), names = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3e..]);
            var sections = new Section[count];
            for (int i = 0; i < count; i++) sections[i] = Section.Read(elf, sectionTable + (long)i * entrySize);
            Section? symbols = null, info = null;
            foreach (var section in sections)
            {
                if (section.Type == SymbolTable) symbols = section;
                if (Name(elf, sections[names], section.NameOffset) == ".nv.info") info = section;
            }
            if (symbols is null || info is null) return result;

            var attributes = elf.Slice((int)info.Offset, (int)info.Size);
            for (int at = 0; at + 4 <= attributes.Length;)
            {
                byte format = attributes[at], attribute = attributes[at + 1];
                int size = format == FormatSizedValue ? BinaryPrimitives.ReadUInt16LittleEndian(attributes[(at + 2)..]) : 0;
                if (format == FormatSizedValue && size == 8 && attribute is AttributeRegisterCount or AttributeFrameSize)
                {
                    int symbol = (int)BinaryPrimitives.ReadUInt32LittleEndian(attributes[(at + 4)..]);
                    int value = (int)BinaryPrimitives.ReadUInt32LittleEndian(attributes[(at + 8)..]);
                    var name = Name(elf, sections[(int)symbols.Link], BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)(symbols.Offset + symbol * 24L)..]));
                    result.TryGetValue(name, out var entry);
                    result[name] = attribute == AttributeRegisterCount ? entry with { Registers = value } : entry with { StackBytes = value };
                }
                at += format == FormatSizedValue ? 4 + size : format == 1 ? 2 : 4;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // A truncated or foreign image: no figures rather than a crash.
        }
        return result;
    }

    static string Name(ReadOnlySpan<byte> elf, Section strings, uint offset)
    {
        var text = elf[(int)(strings.Offset + offset)..];
        return Encoding.ASCII.GetString(text[..text.IndexOf((byte)0)]);
    }

    sealed record Section(uint NameOffset, uint Type, long Offset, long Size, uint Link)
    {
        public static Section Read(ReadOnlySpan<byte> elf, long at)
        {
            var header = elf[(int)at..];
            return new Section(BinaryPrimitives.ReadUInt32LittleEndian(header), BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]));
        }
    }
}
