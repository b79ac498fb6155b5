package dev.confab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ConfabApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConfabApplication.class, args);
	}
}
