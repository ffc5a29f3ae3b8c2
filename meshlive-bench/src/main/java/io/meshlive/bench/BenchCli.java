package io.meshlive.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;

/** {@code bench}: the load generator. Each subcommand is one kind of load. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "meshlive bench 0.1.0",
        description = "Load generator for meshlive (and any RTMP / HTTP-FLV server): many players, many publishers.",
        subcommands = {PlayCommand.class, PublishCommand.class, SimCommand.class, LinkCommand.class, ClusterCommand.class, BrainLabCommand.class,
                ForbidCommand.class, io.meshlive.bench.attack.AttackCommand.class})
public final class BenchCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCli()).setExecutionExceptionHandler(BenchCli::explain).execute(args));
    }

    /** Options that parse but do not fit together, or a file that cannot be read: one line, not a stack trace. */
    private static int explain(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IOException) {
            command.getErr().println("bench " + command.getCommandName() + ": "
                    + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString()));
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
