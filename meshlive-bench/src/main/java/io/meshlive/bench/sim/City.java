package io.meshlive.bench.sim;

/**
 * A metro area of the simulated world.
 *
 * @param region     the static tree's region (its edges pull from that region's core)
 * @param hub        the region's core city (the static tree's regional core nodes stand here)
 * @param population metro population in millions: nodes and viewers are spread by it
 */
record City(String name, double lat, double lon, double population, String region, boolean hub) {

    private static final double EARTH_RADIUS_KM = 6371;

    /** Great-circle distance (haversine). */
    double kmTo(City o) {
        double p1 = Math.toRadians(lat);
        double p2 = Math.toRadians(o.lat);
        double dp = p2 - p1;
        double dl = Math.toRadians(o.lon - lon);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
