# Two images from one build, both for linux/amd64 (the platform of the x86_64 Lambda function, the X86_64 Fargate
# sweep and the workers' instance types), whatever machine runs the build (an ARM laptop included):
#   api     `codybatch serve` on Lambda (through the Lambda Web Adapter) and `codybatch sweep` on Fargate: the
#           self-contained app on the runtime's system dependencies only, so the function's image starts fast.
#   worker  `codybatch worker --job-id ID` on AWS Batch (EC2): the .NET SDK, bubblewrap and the toolchains the
#           repositories' setup and checks run with, inside the sandbox.
# The CDK app builds each with --target; the last stage (api) is the default.
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# Self-contained and precompiled as one composite ReadyToRun image of the app and the .NET and ASP.NET Core
# framework together (ReadyToRun is set in the project for runtime-specific publishes): generic code shared across
# assembly boundaries is precompiled too, so the API function JITs about a quarter of what it did at start (see
# docs/benchmarks.md). The compile takes minutes and about 3 GB of memory.
RUN dotnet publish src/CodyBatch/CodyBatch.csproj --configuration Release --runtime linux-x64 --self-contained true \
    -p:PublishReadyToRunComposite=true --output /app

FROM --platform=linux/amd64 public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 AS adapter

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS worker
# bubblewrap builds the sandbox, socat bridges the egress proxy into it; git records each run's changes; the rest
# are the toolchains setup and checks use most (the .NET SDK comes with the base image, under /usr/share/dotnet).
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap socat git ca-certificates \
       python3 python3-pip python3-venv nodejs npm golang-go make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
ENV CodyBatch__DataDirectory=/var/lib/codybatch \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The job definition runs this image privileged and as root (see infra/CodyBatch.Infra/Workers.cs): bubblewrap
# creates the sandbox's namespaces and cgroups from here, and runs each command as an unprivileged identity.
# The app carries its own runtime; the SDK of the base image is the repositories' toolchain.
ENTRYPOINT ["/app/codybatch"]
CMD ["worker"]

# The app carries its own runtime (self-contained): the base image is only what .NET needs from the system.
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime-deps:10.0 AS api
# git records and applies the changes in each run's workspace.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Lets the same HTTP server answer Lambda invocations; ignored outside Lambda.
COPY --from=adapter /lambda-adapter /opt/extensions/lambda-adapter
COPY --from=build /app /app
# Lambda and Fargate give a writable /tmp; the local cache goes there.
ENV CodyBatch__DataDirectory=/tmp/codybatch \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# Not root: the image's unprivileged "app" user (uid 1654) runs the API and the sweep; they need nothing but /tmp.
USER $APP_UID
ENTRYPOINT ["/app/codybatch"]
CMD ["serve", "--urls", "http://0.0.0.0:8080"]
