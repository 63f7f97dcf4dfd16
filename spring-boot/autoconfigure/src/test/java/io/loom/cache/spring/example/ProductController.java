package io.loom.cache.spring.example;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The shop's HTTP API: reads come from the cached repository, writes go through the service. */
@RestController
public class ProductController {

    private final CatalogRepository catalog;
    private final ProductRepository products;
    private final ProductService service;

    public ProductController(CatalogRepository catalog, ProductRepository products, ProductService service) {
        this.catalog = catalog;
        this.products = products;
        this.service = service;
    }

    @GetMapping("/products/{id}")
    public ResponseEntity<ProductView> product(@PathVariable long id) {
        return ResponseEntity.of(catalog.findById(id));
    }

    @GetMapping("/categories/{category}/cheaper-than/{price}")
    public List<ProductView> cheaperThan(@PathVariable String category, @PathVariable long price) {
        return products.findByCategoryAndPriceLessThanOrderByPriceDesc(category, price,
                org.springframework.data.domain.PageRequest.of(0, 20));
    }

    @PutMapping("/products/{id}/price")
    public void reprice(@PathVariable long id, @RequestParam long value) {
        service.reprice(id, value);
    }
}
