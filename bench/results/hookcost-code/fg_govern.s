00000000000005f0 <fg_govern>:
 5f0:	push   %r12
 5f2:	mov    %rdx,%r12
 5f5:	push   %rbp
 5f6:	movzbl %sil,%ebp
 5fa:	push   %rbx
 5fb:	mov    %gs:0x0(%rip),%rax        # 603 <fg_govern+0x13>
 603:	mov    %ebp,%esi
 605:	mov    %rdi,%rbx
 608:	lea    0x0(%rax),%rdx
 60f:	lea    0x0(%rax),%rcx
 616:	movq   $0x0,0x0(%rax)
 621:	call   626 <fg_govern+0x36>
 626:	mov    %eax,%edx
 628:	test   %eax,%eax
 62a:	jne    657 <fg_govern+0x67>
 62c:	mov    %gs:0x0(%rip),%rax        # 634 <fg_govern+0x44>
 634:	mov    0xca0(%rax),%rcx
 63b:	cmp    %rcx,0xca8(%rax)
 642:	je     657 <fg_govern+0x67>
 644:	mov    0x0(%rip),%eax        # 64a <fg_govern+0x5a>
 64a:	test   %eax,%eax
 64c:	jne    657 <fg_govern+0x67>
 64e:	pop    %rbx
 64f:	pop    %rbp
 650:	pop    %r12
 652:	jmp    657 <fg_govern+0x67>
 657:	mov    %r12,%rcx
 65a:	mov    %ebp,%esi
 65c:	mov    %rbx,%rdi
 65f:	pop    %rbx
 660:	pop    %rbp
 661:	pop    %r12
 663:	jmp    560 <fg_govern_rest>
 668:	nopl   0x0(%rax,%rax,1)
 670:	nop
 671:	nop
 672:	nop
 673:	nop
 674:	nop
 675:	nop
 676:	nop
 677:	nop
 678:	nop
 679:	nop
 67a:	nop
 67b:	nop
 67c:	nop
 67d:	nop
 67e:	nop
 67f:	nop

