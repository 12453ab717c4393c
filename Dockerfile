# One image for every role on AWS: `codybatch serve` on Lambda (through the Lambda Web Adapter),
# `codybatch worker --job-id ID` and `codybatch sweep` on AWS Batch. The CDK app builds it once, from the
# repository root, for linux/amd64: the platform of the x86_64 Lambda function and the X86_64 Fargate tasks,
# whatever machine runs the build (an ARM laptop included).
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/CodyBatch/CodyBatch.csproj --configuration Release --output /app

FROM --platform=linux/amd64 public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 AS adapter

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:10.0
# git records and applies the changes in each run's workspace.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Lets the same HTTP server answer Lambda invocations; ignored outside Lambda.
COPY --from=adapter /lambda-adapter /opt/extensions/lambda-adapter
COPY --from=build /app /app
# Lambda and Fargate give a writable /tmp; workspaces and the local cache go there.
ENV CodyBatch__DataDirectory=/tmp/codybatch \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# Not root: the image's unprivileged "app" user (uid 1654) runs every role; it needs nothing but /tmp.
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/codybatch.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:8080"]
