package io.meshlive.bench.sim;

import java.util.List;

/**
 * The world the simulator places nodes and viewers in: 59 metro areas (coordinates in degrees,
 * metro population in millions, rounded), in eight regions, each with one hub city where the
 * static tree's regional cores stand.
 */
final class Cities {
    static final List<City> ALL = List.of(
            // North America, west (hub San Jose)
            new City("San Jose", 37.34, -121.89, 2.0, "na-west", true),
            new City("Los Angeles", 34.05, -118.24, 13.0, "na-west", false),
            new City("Seattle", 47.61, -122.33, 4.0, "na-west", false),
            new City("Vancouver", 49.28, -123.12, 2.6, "na-west", false),
            new City("Phoenix", 33.45, -112.07, 4.9, "na-west", false),
            new City("Denver", 39.74, -104.99, 3.0, "na-west", false),
            new City("Mexico City", 19.43, -99.13, 21.8, "na-west", false),
            // North America, east (hub Washington)
            new City("Washington", 38.91, -77.04, 6.3, "na-east", true),
            new City("New York", 40.71, -74.01, 19.8, "na-east", false),
            new City("Chicago", 41.88, -87.63, 9.5, "na-east", false),
            new City("Toronto", 43.65, -79.38, 6.2, "na-east", false),
            new City("Atlanta", 33.75, -84.39, 6.1, "na-east", false),
            new City("Miami", 25.76, -80.19, 6.1, "na-east", false),
            new City("Dallas", 32.78, -96.80, 7.6, "na-east", false),
            new City("Montreal", 45.50, -73.57, 4.3, "na-east", false),
            // South America (hub Sao Paulo)
            new City("Sao Paulo", -23.55, -46.63, 22.4, "sa", true),
            new City("Rio de Janeiro", -22.91, -43.17, 13.6, "sa", false),
            new City("Buenos Aires", -34.60, -58.38, 15.4, "sa", false),
            new City("Santiago", -33.45, -70.67, 6.9, "sa", false),
            new City("Lima", -12.05, -77.04, 10.9, "sa", false),
            new City("Bogota", 4.71, -74.07, 11.3, "sa", false),
            // Europe (hub Frankfurt)
            new City("Frankfurt", 50.11, 8.68, 2.3, "eu", true),
            new City("London", 51.51, -0.13, 14.3, "eu", false),
            new City("Paris", 48.86, 2.35, 11.1, "eu", false),
            new City("Madrid", 40.42, -3.70, 6.7, "eu", false),
            new City("Milan", 45.46, 9.19, 4.3, "eu", false),
            new City("Amsterdam", 52.37, 4.90, 2.5, "eu", false),
            new City("Stockholm", 59.33, 18.07, 2.4, "eu", false),
            new City("Warsaw", 52.23, 21.01, 3.1, "eu", false),
            new City("Moscow", 55.76, 37.62, 12.6, "eu", false),
            new City("Istanbul", 41.01, 28.98, 15.6, "eu", false),
            // Middle East and Africa (hub Dubai)
            new City("Dubai", 25.20, 55.27, 3.5, "me-af", true),
            new City("Riyadh", 24.71, 46.68, 7.7, "me-af", false),
            new City("Cairo", 30.04, 31.24, 21.3, "me-af", false),
            new City("Lagos", 6.52, 3.38, 15.4, "me-af", false),
            new City("Nairobi", -1.29, 36.82, 5.1, "me-af", false),
            new City("Johannesburg", -26.20, 28.05, 10.0, "me-af", false),
            // South Asia (hub Mumbai)
            new City("Mumbai", 19.08, 72.88, 21.3, "s-asia", true),
            new City("Delhi", 28.70, 77.10, 32.9, "s-asia", false),
            new City("Bangalore", 12.97, 77.59, 13.6, "s-asia", false),
            new City("Karachi", 24.86, 67.01, 17.2, "s-asia", false),
            new City("Dhaka", 23.81, 90.41, 23.2, "s-asia", false),
            new City("Chennai", 13.08, 80.27, 11.8, "s-asia", false),
            // East Asia (hub Hong Kong)
            new City("Hong Kong", 22.32, 114.17, 7.5, "e-asia", true),
            new City("Tokyo", 35.68, 139.69, 37.2, "e-asia", false),
            new City("Seoul", 37.57, 126.98, 25.5, "e-asia", false),
            new City("Shanghai", 31.23, 121.47, 29.2, "e-asia", false),
            new City("Beijing", 39.90, 116.41, 21.8, "e-asia", false),
            new City("Guangzhou", 23.13, 113.26, 19.0, "e-asia", false),
            new City("Taipei", 25.03, 121.57, 7.0, "e-asia", false),
            new City("Osaka", 34.69, 135.50, 19.0, "e-asia", false),
            // Southeast Asia and Oceania (hub Singapore)
            new City("Singapore", 1.35, 103.82, 6.0, "se-asia-oc", true),
            new City("Jakarta", -6.21, 106.85, 34.5, "se-asia-oc", false),
            new City("Manila", 14.60, 120.98, 14.4, "se-asia-oc", false),
            new City("Bangkok", 13.76, 100.50, 11.1, "se-asia-oc", false),
            new City("Ho Chi Minh City", 10.82, 106.63, 9.3, "se-asia-oc", false),
            new City("Kuala Lumpur", 3.14, 101.69, 8.6, "se-asia-oc", false),
            new City("Sydney", -33.87, 151.21, 5.4, "se-asia-oc", false),
            new City("Melbourne", -37.81, 144.96, 5.2, "se-asia-oc", false));

    private Cities() {
    }
}
