package io.chainlink.follow;

/** Every follow this instance allows is open (chainlink.follow.max-followers): try again shortly. */
public class TooManyFollowersException extends RuntimeException {

    TooManyFollowersException(int max) {
        super("this instance already serves " + max + " log follows (chainlink.follow.max-followers): follow again later,"
                + " or read the stored log without follow");
    }
}
