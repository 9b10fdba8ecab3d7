using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Radzen;
using Radzen.Blazor.Rendering;

namespace Sentiment.Tests.Dashboard.Components;

/// <summary>
/// A bUnit context with what the dashboard's components need: Radzen's services, and JavaScript interop that
/// answers every call with its default, except the size a chart measures itself at, which is that of the
/// dashboard's chart cards, so the charts draw their series.
/// </summary>
public abstract class ComponentTestContext : BunitContext
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Rect>("Radzen.createChart", _ => true).SetResult(new Rect { Width = 400, Height = 260 });
        Services.AddRadzenComponents();
        Services.AddOptions(); // the components' settings, at their defaults

    }
}
