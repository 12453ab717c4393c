// The jsii runtime behind the CDK serves one process over one pipe; synthesizing from two test threads at once garbles it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
