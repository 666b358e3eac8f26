namespace IscsiCluster.Actors;

/// <summary>A scheduled Tell that can be called off; cancelling twice, or after it fired, does nothing.</summary>
public interface ICancelable
{
    bool IsCancellationRequested { get; }

    void Cancel();
}
