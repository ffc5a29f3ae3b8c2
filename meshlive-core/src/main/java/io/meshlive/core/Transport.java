package io.meshlive.core;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The I/O transport of this process: native epoll, io_uring or NIO, one choice for every event
 * loop and channel of the server (or the bench), made once with {@link #use} before the first
 * loop starts. Loops and channels must agree, so every part asks here for both.
 *
 * <p>{@code auto} is native epoll where the platform has it (gathering writes, TCP_NOTSENT_LOWAT),
 * NIO elsewhere. io_uring is taken only when asked for; where the kernel or the native library
 * does not offer it, the process falls back to what {@code auto} picks, with one log line.
 */
public final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    /** What a configuration may ask for. */
    public enum Kind {
        AUTO, EPOLL, IO_URING, NIO;

        /** {@code auto}, {@code epoll}, {@code io_uring} or {@code nio}, as written in the configuration. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named by a configuration value; null when none is. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.configName().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private static volatile Kind current = resolve(Kind.AUTO);

    private Transport() {
    }

    /**
     * Chooses the transport for everything created from now on, and returns the one in use: the
     * requested one, or where it is not available here, {@code auto}'s pick (logged once).
     */
    public static Kind use(Kind requested) {
        Kind chosen = resolve(requested);
        if (chosen != requested && requested != Kind.AUTO) {
            log.warn("transport {} is not available here ({}), using {}", requested.configName(),
                    unavailableCause(requested), chosen.configName());
        }
        current = chosen;
        return chosen;
    }

    /** The transport a request would get on this machine: itself where available, else {@code auto}'s pick. */
    public static Kind resolve(Kind requested) {
        return switch (requested) {
            case IO_URING -> IoUring.isAvailable() ? Kind.IO_URING : resolve(Kind.AUTO);
            case EPOLL -> Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
            case NIO -> Kind.NIO;
            case AUTO -> Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
        };
    }

    /** Whether this machine offers a kind as it is (no fallback). */
    public static boolean available(Kind kind) {
        return resolve(kind) == kind;
    }

    private static String unavailableCause(Kind kind) {
        Throwable cause = switch (kind) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            default -> null;
        };
        return cause == null ? "unknown cause" : String.valueOf(cause.getMessage());
    }

    public static Kind kind() {
        return current;
    }

    /**
     * SO_REUSEPORT, which lets every loop bind its own socket to one UDP port (the kernel spreads
     * the peers over them); null on NIO, which cannot set it.
     */
    public static ChannelOption<Boolean> reusePort() {
        return current == Kind.EPOLL || current == Kind.IO_URING ? UnixChannelOption.SO_REUSEPORT : null;
    }

    public static String name() {
        return current.configName();
    }

    /** The option that bounds the unsent bytes a socket holds in the kernel; null on NIO, which has none. */
    public static ChannelOption<Long> notSentLowat() {
        return switch (current) {
            case EPOLL -> EpollChannelOption.TCP_NOTSENT_LOWAT;
            case IO_URING -> IoUringChannelOption.TCP_NOTSENT_LOWAT;
            default -> null;
        };
    }

    /** Daemon I/O threads named {@code name-N}. */
    public static EventLoopGroup group(int threads, String name) {
        IoHandlerFactory factory = switch (current) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return switch (current) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return switch (current) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            default -> NioSocketChannel.class;
        };
    }

    public static Class<? extends DatagramChannel> datagramChannel() {
        return switch (current) {
            case EPOLL -> EpollDatagramChannel.class;
            case IO_URING -> IoUringDatagramChannel.class;
            default -> NioDatagramChannel.class;
        };
    }
}
