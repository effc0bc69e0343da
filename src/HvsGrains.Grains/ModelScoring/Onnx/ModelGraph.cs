using Google.Protobuf;
using Onnx;

namespace HvsGrains.Grains.ModelScoring.Onnx;

/// <summary>
/// Drops a graph output and the nodes only it needs before ONNX Runtime loads a model: ORT runs every node of the
/// graph whatever outputs a run asks for (its profile shows it), so an output a silo does not read would still cost.
/// </summary>
public static class ModelGraph
{
    /// <summary>The model without <paramref name="output"/>; the bytes as given when it has no such output or is not a model.</summary>
    public static (byte[] Model, bool Dropped) WithoutOutput(byte[] modelBytes, string output)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(modelBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return (modelBytes, false); // ONNX Runtime says what is wrong with it
        }

        var graph = model.Graph;
        // Subgraphs (If, Loop) may read outer values: such a graph is left whole.
        if (graph is null || graph.Output.All(o => o.Name != output) || graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)))
        {
            return (modelBytes, false);
        }

        var needed = graph.Output.Where(o => o.Name != output).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            // ONNX graphs list nodes in topological order, so walking back from the outputs finds every producer.
            var node = graph.Node[i];
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input);
            }
        }

        kept.Reverse();
        var outputs = graph.Output.Where(o => o.Name != output).ToList();
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        var valueInfo = graph.ValueInfo.Where(v => needed.Contains(v.Name)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        graph.Output.Clear();
        graph.Output.AddRange(outputs);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(valueInfo);
        return (model.ToByteArray(), true);
    }
}
